// Formatting and field tables shared by the ladder pages.

// The yearly fields of API.md in display order, grouped; money fields end in _fen.
export const YEAR_GROUPS = [
  { key: 'staff', fields: ['employees', 'tech_staff', 'rd_staff'] },
  {
    key: 'revenue',
    fields: ['sales_revenue_fen', 'main_business_revenue_fen', 'operating_revenue_fen', 'total_income_fen', 'hightech_revenue_fen'],
  },
  {
    key: 'cost',
    fields: ['rd_expense_fen', 'rd_expense_domestic_fen', 'cost_expense_total_fen', 'total_assets_fen', 'total_liabilities_fen', 'net_profit_fen'],
  },
  {
    key: 'ip',
    fields: ['ip_class1', 'ip_class1_self_developed', 'ip_class1_high_value', 'ip_class2', 'conversions', 'equity_financing_fen', 'srdi_quality_score'],
  },
]
export const YEAR_FIELDS = YEAR_GROUPS.flatMap((g) => g.fields)

// True for a money field (int64 分 in the API, edited in 元).
export const isMoney = (f) => f.endsWith('_fen')

// The profile's declaration booleans and the rule engine's extension fields.
export const PROFILE_BOOLS = [
  'no_major_incident',
  'not_on_abnormal_list',
  'not_restricted_industry',
  'strategic_emerging_industry',
  'national_award_top3_5y',
  'provincial_award_top3_3y',
  'sci_award_3y',
  'provincial_rd_institution',
  'led_standard_5y',
]
export const EXT_BOOLS = ['has_ip_title', 'national_award_top5_3y', 'maker_china_top500_3y', 'has_valid_tech_innov_sme']
export const EXT_LEVELS = { chain_role: 2, digital_level: 3, quality_items: 4, rd_institution_level: 4 }
export const HIGHTECH_FIELDS = ['电子信息', '生物与新医药', '航空航天', '新材料', '高技术服务', '新能源与节能', '资源与环境', '先进制造与自动化']

// 分 → "¥1,234,567.89" (whole yuan without decimals); '' for null.
export function money(fen) {
  if (fen === null || fen === undefined || fen === '') return ''
  const neg = fen < 0
  const abs = Math.abs(fen)
  const yuan = Math.floor(abs / 100)
  const cents = abs % 100
  const s = yuan.toLocaleString('en-US') + (cents ? '.' + String(cents).padStart(2, '0') : '')
  return (neg ? '-¥' : '¥') + s
}

// 分 → "1,234.5 万" style short form for tables.
export function moneyWan(fen) {
  if (fen === null || fen === undefined) return ''
  return (fen / 1000000).toLocaleString('en-US', { maximumFractionDigits: 1 })
}

// num / den as a percentage with one decimal, '' when unknown.
export function percent(num, den) {
  if (num === null || num === undefined || !den) return ''
  return `${((num * 100) / den).toFixed(1)}%`
}

// Element Plus tag types by status / verdict.
export const STATUS_TAG = { draft: 'info', submitted: 'warning', verified: 'success' }
export const SOURCE_TAG = { self: '', import: 'info', officer: 'success' }
export const VERDICT_TAG = { pass: 'success', fail: 'danger', uncertain: 'warning', unknown: 'info' }
export const COND_TAG = { met: 'success', not_met: 'danger', unknown: 'info', uncertain: 'warning' }
