import { createApp } from 'vue'
import ExhibitorApp from './ExhibitorApp.vue'

createApp(ExhibitorApp).mount('#app')
