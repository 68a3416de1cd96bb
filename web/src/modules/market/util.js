// Helpers of the market pages: code labels (the API's codes are the Chinese terms; the
// English UI translates them), money in 万元, the code lists.
import { reactive } from 'vue'
import { api } from '../../api.js'
import { currentLocale } from '../../i18n.js'

// English names of the Chinese codes (kinds, modes, fields).
const EN = {
  发明专利: 'Invention patent',
  实用新型: 'Utility model',
  软件著作权: 'Software copyright',
  新品种: 'New variety',
  技术秘密: 'Know-how',
  其他: 'Other',
  转让: 'Assignment',
  许可: 'Licence',
  作价入股: 'Equity contribution',
  先用后转: 'Use first, transfer later',
  合作开发: 'Joint development',
  委托开发: 'Commissioned development',
  技术转让: 'Technology transfer',
  技术许可: 'Technology licence',
  技术服务: 'Technical service',
  揭榜挂帅: 'Open challenge (揭榜挂帅)',
  电子信息: 'Electronics & IT',
  生物与新医药: 'Biotech & medicine',
  航空航天: 'Aerospace',
  新材料: 'New materials',
  高技术服务: 'High-tech services',
  新能源与节能: 'New energy & efficiency',
  资源与环境: 'Resources & environment',
  先进制造与自动化: 'Advanced manufacturing',
}

// The label of a code in the current language.
export function codeLabel(code) {
  if (!code) return ''
  return currentLocale() === 'en' ? EN[code] || code : code
}

// 分 → "12.5 万元" / "¥125,000" style text; a range when both ends are given.
export function money(min, max) {
  const one = (f) => {
    if (f === null || f === undefined) return ''
    const wan = f / 1e6
    return currentLocale() === 'en'
      ? `¥${(f / 100).toLocaleString('en-US', { maximumFractionDigits: 0 })}`
      : `${wan.toLocaleString('zh-CN', { maximumFractionDigits: 2 })} 万元`
  }
  if (min != null && max != null && min !== max) return `${one(min)} – ${one(max)}`
  return one(max != null ? max : min)
}

// 万元 (form input) → 分; '' / null → null.
export function wanToFen(w) {
  if (w === null || w === undefined || w === '') return null
  return Math.round(Number(w) * 1e6)
}

// 分 → 万元 for a form input.
export function fenToWan(f) {
  return f === null || f === undefined ? null : f / 1e6
}

// The market code lists (GET /api/v1/public/market/dicts), loaded once.
export const marketDicts = reactive({ loaded: false })
let pending = null
export function loadMarketDicts() {
  if (marketDicts.loaded) return Promise.resolve(marketDicts)
  if (!pending) {
    pending = api
      .get('public/market/dicts')
      .then((r) => {
        Object.assign(marketDicts, r, { loaded: true })
        return marketDicts
      })
      .finally(() => {
        pending = null
      })
  }
  return pending
}

// Element Plus tag type of a demand status.
export function statusType(s) {
  return { draft: 'info', published: 'success', matched: 'warning', closed: '' }[s] || ''
}
