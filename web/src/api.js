// Thin fetch wrapper for the kechuang JSON API (docs/api-v1.md).
// - same-origin cookie session (kc_session), JSON in and out
// - X-CSRF-Token on every unsafe method
// - Accept-Language follows the UI locale so server messages match the user's language
// - failures throw ApiError {status, code, message, field}
// - a 401 on any call other than the login/session probe sends the user to the login page
// - saveLang(): the UI language, applied at once and stored for the user
import { reactive } from 'vue'
import { currentLocale, setLocale } from './i18n.js'

// The logged-in user and the CSRF token; null when logged out.
export const session = reactive({ user: null, csrf: null })

// Error raised for every non-2xx answer (and for network failures, status 0).
export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.field = field || null
  }
}

let onUnauthorized = () => {}

// Registers the callback run when the server answers 401 (session expired).
export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

// Builds "/api/v1/x?a=1&b=2" from a path and a query object, skipping empty values.
export function buildUrl(path, query) {
  const url = path.startsWith('/') ? path : `/api/v1/${path}`
  if (!query) return url
  const qs = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue
    if (Array.isArray(v)) {
      if (v.length) qs.set(k, v.join(','))
      continue
    }
    qs.set(k, String(v))
  }
  const s = qs.toString()
  return s ? `${url}?${s}` : url
}

// Headers common to every request.
function baseHeaders(method) {
  const h = { Accept: 'application/json', 'Accept-Language': currentLocale() }
  if (UNSAFE.has(method) && session.csrf) h['X-CSRF-Token'] = session.csrf
  return h
}

// Turns a failed Response into an ApiError, using the JSON error body when present.
async function toError(res) {
  let code = 'http_' + res.status
  let message = res.statusText || `HTTP ${res.status}`
  let field = null
  try {
    const body = await res.json()
    if (body && body.error) {
      code = body.error.code || code
      message = body.error.message || message
      field = body.error.field || null
    }
  } catch {
    // not JSON: keep the status text
  }
  return new ApiError(res.status, code, message, field)
}

// Performs one request. opts: {query, body, raw, noRedirect} (raw: bytes or text sent
// as the body verbatim, e.g. an import file). Returns the parsed JSON body.
export async function request(method, path, opts = {}) {
  const headers = baseHeaders(method)
  const init = { method, headers, credentials: 'same-origin' }
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json'
    init.body = JSON.stringify(opts.body)
  } else if (opts.raw !== undefined) {
    headers['Content-Type'] = 'application/octet-stream'
    init.body = opts.raw
  }
  let res
  try {
    res = await fetch(buildUrl(path, opts.query), init)
  } catch (e) {
    throw new ApiError(0, 'network', e && e.message ? e.message : 'network error', null)
  }
  if (!res.ok) {
    const err = await toError(res)
    if (res.status === 401 && !opts.noRedirect) {
      session.user = null
      session.csrf = null
      onUnauthorized()
    }
    throw err
  }
  if (res.status === 204) return null
  const type = res.headers.get('Content-Type') || ''
  if (!type.includes('json')) return null
  return res.json()
}

export const api = {
  get: (path, query, opts) => request('GET', path, { ...opts, query }),
  post: (path, body, opts) => request('POST', path, { ...opts, body }),
  patch: (path, body, opts) => request('PATCH', path, { ...opts, body }),
  put: (path, body, opts) => request('PUT', path, { ...opts, body }),
  del: (path, opts) => request('DELETE', path, opts),
}

// Downloads an export (XLSX) with the current filters; saves it under the server's
// file name. Throws ApiError like request().
export async function download(path, query, fallbackName) {
  let res
  try {
    res = await fetch(buildUrl(path, query), {
      credentials: 'same-origin',
      headers: { 'Accept-Language': currentLocale() },
    })
  } catch (e) {
    throw new ApiError(0, 'network', e && e.message ? e.message : 'network error', null)
  }
  if (!res.ok) {
    const err = await toError(res)
    if (res.status === 401) {
      session.user = null
      session.csrf = null
      onUnauthorized()
    }
    throw err
  }
  const blob = await res.blob()
  const name = fileNameFrom(res.headers.get('Content-Disposition')) || fallbackName
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10000)
  return name
}

// Extracts the file name from a Content-Disposition header (filename* or filename).
function fileNameFrom(cd) {
  if (!cd) return null
  const star = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(cd)
  if (star) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''))
    } catch {
      // fall through to the plain form
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(cd)
  return plain ? plain[1] : null
}

// Session helpers -------------------------------------------------------------

// Logs in; stores user and CSRF token. Throws ApiError (401 bad_credentials, 429 locked).
export async function login(username, password) {
  const r = await request('POST', 'session', { body: { username, password }, noRedirect: true })
  session.user = r.user
  session.csrf = r.csrf_token
  return r.user
}

// Restores the session from the cookie; returns the user or null.
export async function probeSession() {
  try {
    const r = await request('GET', 'session', { noRedirect: true })
    session.user = r.user
    session.csrf = r.csrf_token
    return r.user
  } catch (e) {
    if (e.status === 401) {
      session.user = null
      session.csrf = null
      return null
    }
    throw e
  }
}

// Logs out (best effort) and forgets the session locally.
export async function logout() {
  try {
    await request('DELETE', 'session', { noRedirect: true })
  } finally {
    session.user = null
    session.csrf = null
  }
}

// True when the logged-in user holds capability cap (e.g. "org.write").
export function can(cap) {
  return !!(session.user && Array.isArray(session.user.capabilities) && session.user.capabilities.includes(cap))
}

// Switches the UI language at once and remembers it for the logged-in user
// (PATCH /api/v1/me {"lang"}); used by the top-bar switch and the My account page.
// Throws ApiError when the server did not save it (the UI keeps the new language).
export async function saveLang(lang) {
  const v = setLocale(lang)
  const r = await request('PATCH', 'me', { body: { lang: v } })
  if (r && r.user) session.user = r.user
  return v
}
