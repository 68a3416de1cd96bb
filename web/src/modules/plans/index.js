// Module 7/8 — plans, targets and the cockpit (规划·目标·考核): plan list and detail (tasks,
// responsible units, deadlines, targets coloured by status), target detail (trend with the
// target line and the projection, milestones, values, drill-down to the records behind a
// computed value, report and verify), reported values (submission and the verification
// queue), indicators and their formulas, the home cockpit (status matrix, trends,
// technology transactions by month) and the public progress page of a plan marked public.
// The assessment module (modules/assess) adds its pages to this menu group.
import Cockpit from './Cockpit.vue'

export const group = { key: 'plans', title: 'plans.menu.group', icon: 'Flag', order: 40 }

export const pages = [
  {
    path: 'plans',
    name: 'plans',
    component: () => import('./PlanList.vue'),
    meta: { title: 'plans.menu.plans', cap: 'plan.read', icon: 'Document', group: 'plans', activeMenu: '/plans' },
  },
  {
    path: 'plans/:id',
    name: 'plan',
    component: () => import('./PlanDetail.vue'),
    meta: { title: 'plans.menu.plan', cap: 'plan.read', icon: 'Document', group: 'plans', menu: false, activeMenu: '/plans' },
  },
  {
    path: 'targets/:id',
    name: 'target',
    component: () => import('./TargetDetail.vue'),
    meta: { title: 'plans.menu.target', cap: 'plan.read', icon: 'Aim', group: 'plans', menu: false, activeMenu: '/plans' },
  },
  {
    path: 'observations',
    name: 'observations',
    component: () => import('./Observations.vue'),
    meta: { title: 'plans.menu.observations', cap: 'plan.read', icon: 'EditPen', group: 'plans', activeMenu: '/observations' },
  },
  {
    path: 'indicators',
    name: 'indicators',
    component: () => import('./Indicators.vue'),
    meta: { title: 'plans.menu.indicators', cap: 'plan.read', icon: 'DataLine', group: 'plans', activeMenu: '/indicators' },
  },
  {
    path: 'plans/:id',
    name: 'public-plan',
    component: () => import('./PublicPlan.vue'),
    meta: { title: 'plans.menu.public', public: true },
  },
]

// The cockpit on the home page of city and county officers (and the admin).
export const homeWidgets = [{ key: 'plans-cockpit', component: Cockpit, cap: 'plan.read', order: 20 }]
