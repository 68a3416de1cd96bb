// Entry point: Vue app with router, i18n and Element Plus.
import { createApp } from 'vue'
import App from './App.vue'
import element from './element.js'
import { i18n } from './i18n.js'
import { router } from './router.js'
import { setUnauthorizedHandler } from './api.js'
import { clearDicts } from './dicts.js'
import './style.css'

// An expired session sends the user back to the login page.
setUnauthorizedHandler(() => {
  clearDicts()
  const cur = router.currentRoute.value
  if (cur.name !== 'login') router.push({ name: 'login', query: { redirect: cur.fullPath } })
})

createApp(App).use(i18n).use(element).use(router).mount('#app')
