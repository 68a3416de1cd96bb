// The annual county assessment (考核): pages in the `plans` submenu (defined by
// modules/plans).
export const pages = [
  { path: 'assess/schemes', name: 'assess-schemes', component: () => import('./Schemes.vue'), meta: { title: 'assess.menu.schemes', cap: 'plan.read', icon: 'SetUp', group: 'plans' } },
  { path: 'assess/runs', name: 'assess-runs', component: () => import('./Runs.vue'), meta: { title: 'assess.menu.runs', cap: 'plan.read', icon: 'Trophy', group: 'plans' } },
  { path: 'assess/runs/:id', name: 'assess-run', component: () => import('./RunDetail.vue'), meta: { title: 'assess.menu.run', cap: 'plan.read', group: 'plans', menu: false, activeMenu: '/assess/runs' } },
]
