import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { router } from './router'
import { i18n } from './i18n'

// `fuzhi serve` hands this browser its key through the launch link
// (…/?k=<secret>) and keeps it in a cookie; the key leaves the address bar
// at once, so it is not in the history or a bookmark.
if (new URLSearchParams(location.search).has('k')) {
  history.replaceState(null, '', location.pathname + location.hash)
}

createApp(App).use(createPinia()).use(router).use(i18n).mount('#app')
