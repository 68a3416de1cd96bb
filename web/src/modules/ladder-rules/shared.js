// Helpers shared by the ladder-rules pages.
import { session } from '../../api.js'

export const FAMILIES = ['hnte', 'tsme', 'innov-sme', 'srdi', 'little-giant']
export const OFFICER_ROLES = ['admin', 'city_officer', 'county_officer']

// True for officers (the funnel widget and these pages are theirs).
export const isOfficer = () => !!session.user && OFFICER_ROLES.includes(session.user.role)

// The caller's region code.
export const ownRegion = () => (session.user && session.user.region_code) || ''

// Level of a GB/T 2260 code: 0 country, 1 province, 2 prefecture, 3 county.
export function regionLevel(code) {
  if (!code || code === '000000') return 0
  if (code.endsWith('0000')) return 1
  if (code.endsWith('00')) return 2
  return 3
}

// A league needs a prefecture or a county: the caller's own region when it is one.
export const leagueRegion = () => (regionLevel(ownRegion()) >= 2 ? ownRegion() : '')

// Years offered in the filters: this year back to 2015.
export function yearOptions() {
  const y = new Date().getFullYear()
  const out = []
  for (let v = y; v >= 2015; v--) out.push(v)
  return out
}

// 分 → "¥1,234,567" (decimals only when there are fen); '' for null.
export function money(fen) {
  if (fen === null || fen === undefined || fen === '') return ''
  const neg = fen < 0
  const abs = Math.abs(fen)
  const yuan = Math.floor(abs / 100)
  const cents = abs % 100
  return (neg ? '-¥' : '¥') + yuan.toLocaleString('en-US') + (cents ? '.' + String(cents).padStart(2, '0') : '')
}

// Points for display: up to 2 decimals.
export function pts(v) {
  if (v === null || v === undefined) return ''
  return Number(v).toLocaleString('en-US', { maximumFractionDigits: 2 })
}

// Band tag types by band id.
export const BAND_TAG = { lead: 'danger', compete: 'warning', progress: 'success' }
