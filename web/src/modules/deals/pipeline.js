// Pipeline helpers shared by the board and the match page.
import { api } from '../../api.js'

// The stage a match moves to with its primary button (null for final stages).
export function nextStage(stage) {
  return { proposed: 'contacted', contacted: 'negotiating', negotiating: 'signed' }[stage] || null
}

// POST /matches/{id}/stage; resolves the updated match, throws ApiError.
export function moveMatch(id, stage, extra = {}) {
  return api.post(`matches/${id}/stage`, { stage, ...extra })
}

// Turns a matcher reason object of GET /demands/{id}/matches into one line of text, e.g.
// "text · 标题：电池、隔膜" or "chain：汽车零部件".
export function reasonText(r) {
  if (typeof r === 'string') return r
  if (!r || typeof r !== 'object') return ''
  const parts = [r.signal]
  if (r.field) parts.push(r.field)
  let s = parts.filter(Boolean).join(' · ')
  if (Array.isArray(r.terms) && r.terms.length) s += `：${r.terms.join('、')}`
  else if (r.value !== undefined && r.value !== null) s += `：${Array.isArray(r.value) ? r.value.join('、') : r.value}`
  if (typeof r.contribution === 'number') s += ` (+${r.contribution.toFixed(2)})`
  return s.slice(0, 300)
}
