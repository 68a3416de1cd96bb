// Module 2, part C — 创新积分 league tables and rules, cultivation pools (培育库) and the
// ladder funnel (docs/api-points.md). Pages sit in the ladder menu group (defined by
// modules/ladder/); the funnel is also a home-page widget for officers.
import FunnelWidget from './components/FunnelWidget.vue'

const OFFICERS = ['admin', 'city_officer', 'county_officer']

export const pages = [
  {
    path: 'ladder/pools',
    name: 'ladder_pools',
    component: () => import('./PoolPage.vue'),
    meta: { title: 'lrules.menu.pools', cap: 'ent.read', icon: 'Aim', group: 'ladder', roles: OFFICERS, activeMenu: '/ladder/pools' },
  },
  {
    path: 'ladder/funnel',
    name: 'ladder_funnel',
    component: () => import('./FunnelPage.vue'),
    meta: { title: 'lrules.menu.funnel', cap: 'ent.read', icon: 'Filter', group: 'ladder', roles: OFFICERS, activeMenu: '/ladder/funnel' },
  },
  {
    path: 'ladder/funnel/firms',
    name: 'ladder_funnel_firms',
    component: () => import('./FunnelFirms.vue'),
    meta: { title: 'lrules.menu.funnelFirms', cap: 'ent.read', icon: 'Filter', group: 'ladder', roles: OFFICERS, menu: false, activeMenu: '/ladder/funnel' },
  },
  {
    path: 'ladder/points',
    name: 'points_league',
    component: () => import('./LeaguePage.vue'),
    meta: { title: 'lrules.menu.league', cap: 'ent.read', icon: 'Trophy', group: 'ladder', roles: OFFICERS, activeMenu: '/ladder/points' },
  },
  {
    path: 'ladder/points/rules',
    name: 'points_config',
    component: () => import('./PointsConfig.vue'),
    meta: { title: 'lrules.menu.config', cap: 'ent.read', icon: 'SetUp', group: 'ladder', roles: OFFICERS, activeMenu: '/ladder/points/rules' },
  },
]

// The funnel on the county and city home pages (officers; the widget hides itself for
// other roles holding ent.read).
export const homeWidgets = [{ key: 'ladder-funnel', component: FunnelWidget, cap: 'ent.read', order: 10 }]
