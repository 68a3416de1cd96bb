// Small helpers shared by the pages.
import { ElMessage } from 'element-plus'

// "2026-11-24T08:00:00Z" → "2026-11-24 16:00" in the browser's time zone.
export function formatTime(s) {
  if (!s) return ''
  const d = new Date(s)
  if (Number.isNaN(d.getTime())) return String(s)
  const p = (n) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`
}

// Clears every key of a reactive field-error object.
export function clearErrors(errors) {
  for (const k of Object.keys(errors)) errors[k] = ''
}

// Shows an API error: under its form field when the error names a field the form has
// (errors is a reactive {field: message} object), otherwise as a toast.
// Returns true when it was placed under a field.
export function showApiError(err, errors) {
  const raw = err && err.field ? String(err.field) : ''
  const field = raw.replace(/[[.].*$/, '')
  if (errors && field && Object.prototype.hasOwnProperty.call(errors, field)) {
    errors[field] = err.message
    return true
  }
  ElMessage.error((err && err.message) || String(err))
  return false
}

// Shows the `warnings` array of a successful save as one warning toast.
export function showWarnings(warnings) {
  if (!Array.isArray(warnings) || !warnings.length) return
  ElMessage({
    type: 'warning',
    duration: 6000,
    showClose: true,
    message: warnings.map((w) => w.message || w.code).join('；'),
  })
}

// Maps an el-table sort-change event to the API's sort parameter ("name" / "-name").
export function sortParam({ prop, order }, map = {}) {
  if (!prop || !order) return ''
  const key = map[prop] || prop
  return order === 'descending' ? `-${key}` : key
}

// Renders an audit diff value for display.
export function showValue(v) {
  if (v === null || v === undefined) return ''
  if (typeof v === 'string') return v
  return JSON.stringify(v)
}

// Copies text to the clipboard: the async Clipboard API where the page is a secure
// context, else a hidden textarea and execCommand('copy') (plain-http intranet
// deployments). Resolves true when the browser reports success.
export async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text)
      return true
    } catch {
      // permission refused: try the old way
    }
  }
  const ta = document.createElement('textarea')
  ta.value = text
  ta.setAttribute('readonly', '')
  ta.style.position = 'fixed'
  ta.style.top = '0'
  ta.style.left = '0'
  ta.style.opacity = '0'
  document.body.appendChild(ta)
  ta.select()
  let ok = false
  try {
    ok = document.execCommand('copy')
  } catch {
    ok = false
  }
  ta.remove()
  return ok
}
