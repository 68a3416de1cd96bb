// Exact money conversion for the deals pages: the API keeps int64 分, forms take 元 as text.
// No floating point is involved: "1234.5" 元 → 123450 分 by string arithmetic.

// The largest amount a form accepts: 1万亿元 (the server's limit), in 分.
export const MAX_FEN = 100000000000000

// Parses a 元 amount typed by a user ("12,345.67", "１２３.４", " 100 ") into 分.
// Returns {fen} or {error: 'format' | 'precision' | 'range'}.
export function yuanToFen(text) {
  if (text === null || text === undefined) return { error: 'format' }
  // Full-width digits and separators typed with a Chinese IME become ASCII.
  let s = String(text)
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[．。]/g, '.')
    .replace(/[,，\s]/g, '')
  if (!/^\d+(\.\d*)?$/.test(s)) return { error: 'format' }
  const [int, frac = ''] = s.split('.')
  if (frac.length > 2) return { error: 'precision' }
  const digits = (int.replace(/^0+(?=\d)/, '') + frac.padEnd(2, '0')).replace(/^0+(?=\d)/, '')
  if (digits.length > 15) return { error: 'range' }
  const fen = Number(digits)
  if (!Number.isSafeInteger(fen) || fen > MAX_FEN) return { error: 'range' }
  return { fen }
}

// 分 → the 元 text a form shows ("1234.5" → "1234.50"; whole amounts without decimals).
export function fenToYuanText(fen) {
  if (fen === null || fen === undefined || fen === '') return ''
  const n = Number(fen)
  const yuan = Math.floor(n / 100)
  const cents = n % 100
  return cents ? `${yuan}.${String(cents).padStart(2, '0')}` : String(yuan)
}

// 分 → "¥1,234,567.89" for tables.
export function money(fen) {
  if (fen === null || fen === undefined) return ''
  const n = Number(fen)
  const yuan = Math.floor(n / 100)
  const cents = n % 100
  return '¥' + yuan.toLocaleString('en-US') + (cents ? '.' + String(cents).padStart(2, '0') : '')
}

// 分 → 万元 with two decimals ("123.46"), for charts and compact tables.
export function wan(fen) {
  if (fen === null || fen === undefined) return ''
  return (Number(fen) / 1000000).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
}
