// Cached dictionaries and the region tree, loaded once per session on demand.
import { reactive } from 'vue'
import { api } from './api.js'
import { dictName } from './i18n.js'

// items: null until loaded; then the API's items arrays.
export const dicts = reactive({
  orgKinds: null,
  roles: null,
  industries: null,
  regions: null,
})

const pending = {}

// Loads one dictionary (key of dicts) once; concurrent callers share the request.
function load(key, path) {
  if (dicts[key]) return Promise.resolve(dicts[key])
  if (!pending[key]) {
    pending[key] = api
      .get(path)
      .then((r) => {
        dicts[key] = r.items || []
        return dicts[key]
      })
      .finally(() => {
        delete pending[key]
      })
  }
  return pending[key]
}

export const loadOrgKinds = () => load('orgKinds', 'dicts/org_kinds')
export const loadRoles = () => load('roles', 'dicts/roles')
export const loadIndustries = () => load('industries', 'dicts/industries')
export const loadRegions = () => load('regions', 'regions')

// Forgets everything (on logout: the region tree is not scoped, but be tidy).
export function clearDicts() {
  for (const k of Object.keys(dicts)) dicts[k] = null
}

// Localised name of an org kind code, or the code itself.
export function kindLabel(code) {
  const k = (dicts.orgKinds || []).find((x) => x.code === code)
  return k ? dictName(k) : code || ''
}

// Localised name of a role code, or the code itself.
export function roleLabel(code) {
  const r = (dicts.roles || []).find((x) => x.code === code)
  return r ? dictName(r) : code || ''
}

// "C36 汽车制造业" for a section or division code, or the code itself.
export function industryLabel(code) {
  if (!code) return ''
  for (const s of dicts.industries || []) {
    if (s.code === code) return `${s.code} ${s.name}`
    for (const d of s.divisions || []) if (d.code === code) return `${d.code} ${d.name}`
  }
  return code
}

// Region tree as el-cascader options; counties become leaves.
export function regionOptions() {
  const conv = (n) => ({
    value: n.code,
    label: n.name,
    level: n.level,
    children: n.children && n.children.length ? n.children.map(conv) : undefined,
  })
  return (dicts.regions || []).map(conv)
}

// Finds a region node in the loaded tree by code (null when absent).
export function findRegion(code) {
  const walk = (list) => {
    for (const n of list || []) {
      if (n.code === code) return n
      const f = walk(n.children)
      if (f) return f
    }
    return null
  }
  return walk(dicts.regions)
}
