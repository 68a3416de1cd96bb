// Module 3, the deal side (科技大市场 · 对接与合同): the brokerage pipeline board, match detail,
// broker metrics, the technology-contract registry with its statistics, and roadshows. The
// pages sit in the `market` menu group, which web/src/modules/market defines.
const WORKERS = ['admin', 'city_officer', 'county_officer', 'broker']
const SIDES = ['enterprise', 'institution', 'provider', 'expert']

export const pages = [
  {
    path: 'deals/pipeline',
    name: 'deals_pipeline',
    component: () => import('./Pipeline.vue'),
    meta: { title: 'deals.menu.pipeline', cap: 'deal.write', icon: 'Guide', group: 'market', roles: WORKERS, activeMenu: '/deals/pipeline' },
  },
  {
    path: 'deals/matches/:id',
    name: 'deals_match',
    component: () => import('./MatchDetail.vue'),
    meta: { title: 'deals.menu.match', cap: 'market.read', icon: 'Guide', group: 'market', menu: false, activeMenu: '/deals/pipeline' },
  },
  {
    path: 'deals/my-matches',
    name: 'deals_my_matches',
    component: () => import('./MyMatches.vue'),
    meta: { title: 'deals.menu.myMatches', cap: 'market.read', icon: 'Connection', group: 'market', roles: SIDES, activeMenu: '/deals/my-matches' },
  },
  {
    path: 'deals/brokers',
    name: 'deals_brokers',
    component: () => import('./Brokers.vue'),
    meta: { title: 'deals.menu.brokers', cap: 'deal.write', icon: 'DataAnalysis', group: 'market', roles: WORKERS, activeMenu: '/deals/brokers' },
  },
  {
    path: 'deals/contracts',
    name: 'deals_contracts',
    component: () => import('./Contracts.vue'),
    meta: { title: 'deals.menu.contracts', cap: 'market.read', icon: 'Tickets', group: 'market', activeMenu: '/deals/contracts' },
  },
  {
    path: 'deals/stats',
    name: 'deals_stats',
    component: () => import('./Stats.vue'),
    meta: { title: 'deals.menu.stats', cap: 'market.read', icon: 'Histogram', group: 'market', activeMenu: '/deals/stats' },
  },
  {
    path: 'deals/roadshows',
    name: 'deals_roadshows',
    component: () => import('./Roadshows.vue'),
    meta: { title: 'deals.menu.roadshows', cap: 'market.read', icon: 'Promotion', group: 'market', activeMenu: '/deals/roadshows' },
  },
  {
    path: 'deals/roadshows/:id',
    name: 'deals_roadshow',
    component: () => import('./RoadshowDetail.vue'),
    meta: { title: 'deals.menu.roadshow', cap: 'market.read', icon: 'Promotion', group: 'market', menu: false, activeMenu: '/deals/roadshows' },
  },
]
