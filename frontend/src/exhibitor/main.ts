import { createApp } from 'vue'
import ExhibitorApp from './ExhibitorApp.vue'
import { i18n } from '../i18n'

createApp(ExhibitorApp).use(i18n).mount('#app')
