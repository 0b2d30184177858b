import { createRouter, createWebHashHistory } from 'vue-router'
import OverviewView from './views/OverviewView.vue'
import ParticipantsView from './views/ParticipantsView.vue'
import CatalogView from './views/CatalogView.vue'
import EventsView from './views/EventsView.vue'
import DeskView from './views/DeskView.vue'
import DashboardView from './views/DashboardView.vue'
import MatchView from './views/MatchView.vue'
import BoardView from './views/BoardView.vue'
import NetworkView from './views/NetworkView.vue'
import SummaryView from './views/SummaryView.vue'
import FollowUpsView from './views/FollowUpsView.vue'
import ProgrammeView from './views/ProgrammeView.vue'
import StageView from './views/StageView.vue'
import ProgrammeBoardView from './views/ProgrammeBoardView.vue'

// Hash history: the Wails asset server and `fuzhi serve` both serve one index.html.
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', component: OverviewView },
    { path: '/desk', component: DeskView },
    { path: '/dashboard', component: DashboardView },
    { path: '/match', component: MatchView },
    { path: '/board', component: BoardView },
    { path: '/participants', component: ParticipantsView },
    { path: '/catalog', component: CatalogView },
    { path: '/network', component: NetworkView },
    { path: '/summary', component: SummaryView },
    { path: '/followups', component: FollowUpsView },
    { path: '/programme', component: ProgrammeView },
    { path: '/stage/:id', component: StageView },
    { path: '/programme-board', component: ProgrammeBoardView },
    { path: '/events', component: EventsView },
  ],
})
