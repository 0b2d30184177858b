import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

export default defineConfig({
  plugins: [vue()],
  build: {
    chunkSizeWarningLimit: 2000,
    // The exhibitor page is a second, small entry: phones load it from the hub.
    rollupOptions: { input: { main: 'index.html', exhibitor: 'exhibitor.html' } },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8787' } },
  test: { environment: 'jsdom', include: ['tests/**/*.test.ts'] },
} as any)
