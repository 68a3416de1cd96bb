// Supervision tickets (督查) and the annual county assessment (考核): pages in the
// `plans` submenu (defined by modules/plans), and the open-tickets home widget.
import { defineAsyncComponent } from 'vue'

export const pages = [
  { path: 'tickets', name: 'tickets', component: () => import('./Tickets.vue'), meta: { title: 'assess.menu.tickets', cap: 'plan.read', icon: 'Bell', group: 'plans' } },
  { path: 'tickets/:id', name: 'ticket', component: () => import('./TicketDetail.vue'), meta: { title: 'assess.menu.ticket', cap: 'plan.read', group: 'plans', menu: false, activeMenu: '/tickets' } },
  { path: 'assess/schemes', name: 'assess-schemes', component: () => import('./Schemes.vue'), meta: { title: 'assess.menu.schemes', cap: 'plan.read', icon: 'SetUp', group: 'plans' } },
  { path: 'assess/runs', name: 'assess-runs', component: () => import('./Runs.vue'), meta: { title: 'assess.menu.runs', cap: 'plan.read', icon: 'Trophy', group: 'plans' } },
  { path: 'assess/runs/:id', name: 'assess-run', component: () => import('./RunDetail.vue'), meta: { title: 'assess.menu.run', cap: 'plan.read', group: 'plans', menu: false, activeMenu: '/assess/runs' } },
]

export const homeWidgets = [
  { key: 'open-tickets', component: defineAsyncComponent(() => import('./OpenTickets.vue')), cap: 'plan.read', order: 20 },
]
