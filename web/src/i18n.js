// vue-i18n setup: zh-CN is the default, en the alternative. The chosen locale is kept
// in localStorage before login; after login the user's own `lang` (PATCH /api/v1/me)
// decides.
import { createI18n } from 'vue-i18n'
import zhCN from './locales/zh-CN.js'
import en from './locales/en.js'

// Module catalogues (web/src/modules/*/locale.js) are merged in under their own keys.
const moduleLocales = Object.values(import.meta.glob('./modules/*/locale.js', { eager: true, import: 'default' }))

// Copies src into dst recursively (objects merge, other values replace).
function deepMerge(dst, src) {
  for (const [k, v] of Object.entries(src || {})) {
    if (v && typeof v === 'object' && !Array.isArray(v) && dst[k] && typeof dst[k] === 'object') deepMerge(dst[k], v)
    else dst[k] = v
  }
  return dst
}
for (const m of moduleLocales) {
  deepMerge(zhCN, m['zh-CN'])
  deepMerge(en, m.en)
}

export const LOCALES = ['zh-CN', 'en']
const STORE_KEY = 'kc.lang'

// Picks the initial locale: remembered choice, else zh-CN.
function initialLocale() {
  try {
    const v = localStorage.getItem(STORE_KEY)
    if (LOCALES.includes(v)) return v
  } catch {
    // storage unavailable
  }
  return 'zh-CN'
}

export const i18n = createI18n({
  legacy: false,
  globalInjection: true,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
})

// The active locale code ("zh-CN" or "en").
export function currentLocale() {
  return i18n.global.locale.value
}

// Switches the UI locale (no server call); normalises unknown values to zh-CN.
export function setLocale(lang) {
  const v = LOCALES.includes(lang) ? lang : lang && lang.startsWith('en') ? 'en' : 'zh-CN'
  i18n.global.locale.value = v
  document.documentElement.lang = v
  try {
    localStorage.setItem(STORE_KEY, v)
  } catch {
    // storage unavailable
  }
  return v
}

// Picks the Chinese or English name of a dictionary item ({name, name_en}).
export function dictName(item) {
  if (!item) return ''
  if (currentLocale() === 'en' && item.name_en) return item.name_en
  return item.name
}
