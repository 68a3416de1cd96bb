// 数据导入 (enterprise and yearly data import, issue 3 part B): one page in the `ladder`
// submenu (the group is defined by modules/ladder). Template download, upload, a progress
// bar polling the job, the summary, the failed-rows file and the recent import jobs.
export const pages = [
  {
    path: 'ladder/import',
    name: 'ladder-import',
    component: () => import('./ImportPage.vue'),
    meta: { title: 'ladderImport.menu', cap: 'ent.import', icon: 'Upload', group: 'ladder', activeMenu: '/ladder/import' },
  },
]
