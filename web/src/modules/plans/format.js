// Display helpers of the plans pages: status colours and labels, numbers, regions.

// Colour of each target status (matrix cells, tags, progress bars).
export const STATUS_COLOR = {
  achieved: '#67c23a',
  on_track: '#409eff',
  at_risk: '#e6a23c',
  off_track: '#f56c6c',
  no_data: '#c0c4cc',
}

// Element Plus tag type of a target status.
export const STATUS_TAG = { achieved: 'success', on_track: 'primary', at_risk: 'warning', off_track: 'danger', no_data: 'info' }

// Statuses in display order.
export const STATUSES = ['achieved', 'on_track', 'at_risk', 'off_track', 'no_data']

// Element Plus tag type of an observation status.
export const OBS_TAG = { submitted: 'warning', rejected: 'danger', verified: 'success', superseded: 'info' }

// A number for display (up to 2 decimals), "—" when absent.
export function num(v, digits = 2) {
  if (v === null || v === undefined || Number.isNaN(Number(v))) return '—'
  const n = Number(v)
  return n.toLocaleString(undefined, { maximumFractionDigits: digits })
}

// A value with its unit ("3,000 家", "3.65%").
export function withUnit(v, unit) {
  if (v === null || v === undefined) return '—'
  return unit === '%' ? `${num(v)}%` : `${num(v)} ${unit || ''}`.trim()
}

// Progress as a bar percentage (0–100).
export function bar(p) {
  if (p === null || p === undefined) return 0
  return Math.max(0, Math.min(100, Math.round(Number(p))))
}

// 分 as 万元 with 2 decimals.
export function wan(fen) {
  if (fen === null || fen === undefined) return '—'
  return (Number(fen) / 1e6).toLocaleString(undefined, { maximumFractionDigits: 2 })
}

// The current year in China time.
export function chinaYear() {
  return new Date(Date.now() + 8 * 3600 * 1000).getUTCFullYear()
}

// Columns shown for drill-down records, by the first column the formula returns.
export const RECORD_COLUMNS = {
  org_id: ['org_name', 'uscc', 'region_code', 'cert_kinds', 'cert_kind', 'cert_number', 'issued_on', 'valid_to', 'industry_code', 'year', 'revenue_fen', 'rd_expense_fen', 'meets'],
  certification_id: ['org_name', 'uscc', 'region_code', 'cert_kind', 'cert_number', 'issued_on', 'valid_to'],
  contract_id: ['registration_no', 'title', 'contract_amount_fen', 'registered_on', 'seller_name', 'buyer_name', 'region_code'],
  demand_id: ['title', 'org_name', 'region_code', 'chain', 'status', 'published_at', 'closed_at'],
  roadshow_id: ['title', 'held_on', 'chain', 'region_code'],
}
