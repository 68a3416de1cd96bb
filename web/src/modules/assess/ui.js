// Small display helpers shared by the supervision and assessment pages.

// Element Plus tag type of a ticket status.
export function statusType(s) {
  return { open: 'warning', answered: 'primary', escalated: 'danger', closed: 'info' }[s] || 'info'
}

// A number for display: up to 2 decimals, "—" when absent.
export function num(v) {
  if (v === null || v === undefined || Number.isNaN(Number(v))) return '—'
  const n = Number(v)
  return Number.isInteger(n) ? n.toLocaleString() : n.toLocaleString(undefined, { maximumFractionDigits: 2 })
}

// A score with exactly 2 decimals.
export function score(v) {
  return v === null || v === undefined ? '—' : Number(v).toFixed(2)
}

// "YYYY-MM-DD" of a Date in Beijing time (UTC+8).
export function beijingDay(d = new Date()) {
  return new Date(d.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10)
}
