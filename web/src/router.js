// Hash-mode routes (the server answers index.html for `/`, so no server-side routing is
// needed). Each page names the capability it needs; the menu follows the same table.
import { createRouter, createWebHashHistory } from 'vue-router'
import { session, probeSession, can } from './api.js'
import { setLocale } from './i18n.js'
import Layout from './Layout.vue'
import Login from './views/Login.vue'
import Home from './views/Home.vue'

const corePages = [
  { path: '', name: 'home', component: Home, meta: { title: 'menu.home', icon: 'HomeFilled' } },
  { path: 'orgs', name: 'orgs', component: () => import('./views/Orgs.vue'), meta: { title: 'menu.orgs', cap: 'org.read', icon: 'OfficeBuilding' } },
  { path: 'users', name: 'users', component: () => import('./views/Users.vue'), meta: { title: 'menu.users', cap: 'user.read', icon: 'User' } },
  { path: 'regions', name: 'regions', component: () => import('./views/Regions.vue'), meta: { title: 'menu.regions', cap: 'region.read', icon: 'MapLocation' } },
  { path: 'chains', name: 'chains', component: () => import('./views/Chains.vue'), meta: { title: 'menu.chains', cap: 'region.read', icon: 'Connection' } },
  { path: 'audit', name: 'audit', component: () => import('./views/Audit.vue'), meta: { title: 'menu.audit', cap: 'audit.read', icon: 'Document' } },
]

// Module pages (web/src/modules/*/index.js, see modules/README.md) and their submenus.
const modules = Object.values(import.meta.glob('./modules/*/index.js', { eager: true }))
export const groups = modules.filter((m) => m.group).map((m) => m.group).sort((a, b) => a.order - b.order)
const modulePages = modules.flatMap((m) => m.pages || [])
const publicPages = modulePages.filter((p) => p.meta && p.meta.public)

// Every page inside the layout; the side menu shows those without `menu: false`.
export const pages = [...corePages, ...modulePages.filter((p) => !(p.meta && p.meta.public))]

// Pages outside the side menu, open to every logged-in user (reached from the top bar).
const extraPages = [
  { path: 'account', name: 'account', component: () => import('./views/Account.vue'), meta: { title: 'menu.account' } },
]

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/login', name: 'login', component: Login, meta: { public: true } },
    ...publicPages.map((p) => ({ ...p, path: `/p/${p.path}` })),
    { path: '/', component: Layout, children: [...pages, ...extraPages] },
    { path: '/:rest(.*)*', name: 'notfound', component: () => import('./views/NotFound.vue'), meta: { public: true } },
  ],
})

let probed = false

// Restores the session on first navigation; sends anonymous users to the login page
// and users without the page's capability to the home page.
router.beforeEach(async (to) => {
  if (!probed) {
    probed = true
    try {
      const user = await probeSession()
      if (user && user.lang) setLocale(user.lang)
    } catch {
      // server unreachable: the login page will show the error on submit
    }
  }
  if (to.meta.public) {
    if (to.name === 'login' && session.user) return { name: 'home' }
    return true
  }
  if (!session.user) return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
  if (to.meta.cap && !can(to.meta.cap)) return { name: 'home' }
  if (to.meta.roles && !to.meta.roles.includes(session.user.role)) return { name: 'home' }
  return true
})
