// Module 2 — enterprises and the cultivation ladder (主体库·梯度培育): enterprise list and
// detail (profile, yearly data with verification, certificates, self-assessment), the
// certificate list, and 我的企业 for enterprise accounts. Other modules add pages to this
// menu group from their own folders (ladder-rules/, ladder-import/).
import { defineAsyncComponent } from 'vue'

export const group = { key: 'ladder', title: 'ladder.menu.group', icon: 'TrendCharts', order: 20 }

const OFFICERS = ['admin', 'city_officer', 'county_officer']

export const pages = [
  {
    path: 'ladder/enterprises',
    name: 'enterprises',
    component: () => import('./EnterpriseList.vue'),
    meta: { title: 'ladder.menu.enterprises', cap: 'ent.read', icon: 'OfficeBuilding', group: 'ladder', roles: OFFICERS, activeMenu: '/ladder/enterprises' },
  },
  {
    path: 'ladder/enterprises/:uscc',
    name: 'enterprise',
    component: () => import('./EnterpriseDetail.vue'),
    meta: { title: 'ladder.menu.enterprise', cap: 'ent.read', icon: 'OfficeBuilding', group: 'ladder', menu: false, activeMenu: '/ladder/enterprises' },
  },
  {
    path: 'ladder/my-enterprise',
    name: 'my_enterprise',
    component: () => import('./MyEnterprise.vue'),
    meta: { title: 'ladder.menu.mine', cap: 'ent.read', icon: 'House', group: 'ladder', roles: ['enterprise'], activeMenu: '/ladder/my-enterprise' },
  },
  {
    path: 'ladder/certifications',
    name: 'certifications',
    component: () => import('./CertificationList.vue'),
    meta: { title: 'ladder.menu.certifications', cap: 'ent.read', icon: 'Medal', group: 'ladder', activeMenu: '/ladder/certifications' },
  },
]

// Officers' verification queue (submitted yearly data, self-reported certificates).
export const homeWidgets = [
  { key: 'verify-queue', component: defineAsyncComponent(() => import('./components/VerifyQueue.vue')), cap: 'ent.verify', order: 15 },
]
