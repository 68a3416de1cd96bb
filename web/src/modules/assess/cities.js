// The prefecture-level cities a user may pick for a scheme: those inside the user's
// region (a city officer: only their own city; the administrator: every city).
import { dicts, loadRegions } from '../../dicts.js'
import { session } from '../../api.js'

// The region prefix of a code (330400 → 3304, 000000 → "").
function prefix(code) {
  let p = code || ''
  while (p.length >= 2 && p.endsWith('00')) p = p.slice(0, -2)
  return p
}

// Resolves the list [{code, name}] of cities in the user's scope.
export async function scopedCities() {
  await loadRegions()
  const own = prefix(session.user && session.user.region_code)
  const out = []
  const walk = (list) => {
    for (const n of list || []) {
      if (n.level === 'prefecture' && n.code.startsWith(own)) out.push({ code: n.code, name: n.name })
      walk(n.children)
    }
  }
  walk(dicts.regions)
  return out
}
