// Module 3 — technology market (科技大市场): technology demands with the quality gate,
// the achievement library with full-text search and highlights, experts, and matching
// with reasons (demand → achievements / institutions / experts, achievement →
// demands). Public pages (no login) list published public demands and achievements.
// The deal pipeline, contracts and roadshows add their pages to this group from
// web/src/modules/deals/.
export const group = { key: 'market', title: 'market.menu.group', icon: 'Shop', order: 30 }

export const pages = [
  {
    path: 'market/demands',
    name: 'market_demands',
    component: () => import('./DemandList.vue'),
    meta: { title: 'market.menu.demands', cap: 'market.read', icon: 'Document', group: 'market', activeMenu: '/market/demands' },
  },
  {
    path: 'market/demands/new',
    name: 'market_demand_new',
    component: () => import('./DemandForm.vue'),
    meta: { title: 'market.menu.demandNew', cap: 'demand.write', icon: 'Document', group: 'market', menu: false, activeMenu: '/market/demands' },
  },
  {
    path: 'market/demands/:id/edit',
    name: 'market_demand_edit',
    component: () => import('./DemandForm.vue'),
    meta: { title: 'market.menu.demandEdit', cap: 'demand.write', icon: 'Document', group: 'market', menu: false, activeMenu: '/market/demands' },
  },
  {
    path: 'market/demands/:id',
    name: 'market_demand',
    component: () => import('./DemandDetail.vue'),
    meta: { title: 'market.menu.demand', cap: 'market.read', icon: 'Document', group: 'market', menu: false, activeMenu: '/market/demands' },
  },
  {
    path: 'market/batch',
    name: 'market_batch',
    component: () => import('./BatchMatch.vue'),
    meta: { title: 'market.menu.batch', cap: 'market.read', icon: 'Connection', group: 'market', roles: ['admin', 'city_officer', 'county_officer', 'broker'], activeMenu: '/market/batch' },
  },
  {
    path: 'market/achievements',
    name: 'market_achievements',
    component: () => import('./AchievementList.vue'),
    meta: { title: 'market.menu.achievements', cap: 'market.read', icon: 'Trophy', group: 'market', activeMenu: '/market/achievements' },
  },
  {
    path: 'market/achievements/:id',
    name: 'market_achievement',
    component: () => import('./AchievementDetail.vue'),
    meta: { title: 'market.menu.achievement', cap: 'market.read', icon: 'Trophy', group: 'market', menu: false, activeMenu: '/market/achievements' },
  },
  {
    path: 'market/experts',
    name: 'market_experts',
    component: () => import('./ExpertList.vue'),
    meta: { title: 'market.menu.experts', cap: 'market.read', icon: 'Avatar', group: 'market', activeMenu: '/market/experts' },
  },
  // Public pages (mounted at /#/p/…, no login).
  {
    path: 'market/demands',
    name: 'pub_demands',
    component: () => import('./PublicDemands.vue'),
    meta: { title: 'market.menu.demands', public: true },
  },
  {
    path: 'market/demands/:id',
    name: 'pub_demand',
    component: () => import('./PublicDemand.vue'),
    meta: { title: 'market.menu.demand', public: true },
  },
  {
    path: 'market/achievements',
    name: 'pub_achievements',
    component: () => import('./PublicAchievements.vue'),
    meta: { title: 'market.menu.achievements', public: true },
  },
  {
    path: 'market/achievements/:id',
    name: 'pub_achievement',
    component: () => import('./PublicAchievement.vue'),
    meta: { title: 'market.menu.achievement', public: true },
  },
]
