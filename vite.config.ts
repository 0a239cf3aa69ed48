/**
 * One Vite config, two builds chosen by --mode (scripts/build.mjs runs both):
 * `app`: the agent PWA (agent-app/) into dist/app; `widget`: the customer widget, one script, into dist/widget.
 */
import { defineConfig, type Plugin, type UserConfig } from 'vite'

/**
 * lib0/dom.js (Yjs's logger imports it) builds four DOM-node schemas at its top level with
 * `$.$custom(…)`, a call the bundler cannot prove pure, so all of lib0/schema.js (~2 KB gzipped,
 * used by nothing else) came along into the agent app's first load and the widget. Marking those
 * calls pure lets them go when unused. The four lines are matched exactly: a lib0 that changes
 * them is left as it is (and the bundles grow back, which bench/agent-app.ts and widget-size.ts show).
 */
export function pureLib0DomSchemas(): Plugin {
  return {
    name: 'parley:pure-lib0-dom-schemas',
    transform: {
      filter: { id: /lib0[\\/]dom\.js$/ },
      handler: (code) => ({ code: code.replace(/^(export const \$(?:fragment|element|text|node) = )\$\.\$custom\(/gm, '$1/* @__PURE__ */ $.$custom('), map: null }),
    },
  }
}

export default defineConfig(async ({ mode }): Promise<UserConfig> => {
  if (mode === 'widget-markdown') {
    // The widget's lazily loaded Markdown renderer, next to widget.js (built after it).
    return {
      build: {
        outDir: 'dist/widget',
        emptyOutDir: false,
        lib: { entry: 'widget/markdown-entry.ts', formats: ['iife'], name: 'ParleyWidgetMarkdown', fileName: () => 'widget-markdown.js' },
        target: 'es2020',
        minify: true,
      },
    }
  }
  if (mode === 'widget') {
    return {
      plugins: [pureLib0DomSchemas()],
      build: {
        outDir: 'dist/widget',
        emptyOutDir: true,
        lib: { entry: 'widget/main.ts', formats: ['iife'], name: 'ParleyWidget', fileName: () => 'widget.js' },
        target: 'es2020',
        minify: true,
      },
    }
  }
  // The agent app's plugins are loaded only for its build (the widget build needs none of them).
  const [{ default: solid }, { default: tailwindcss }, { VitePWA }] = await Promise.all([
    import('vite-plugin-solid'), import('@tailwindcss/vite'), import('vite-plugin-pwa'),
  ])
  return {
    root: 'agent-app',
    build: {
      outDir: '../dist/app', emptyOutDir: true, target: 'es2022',
      // The strings of each language get names the size bench can find (bench/agent-app.ts counts
      // the first screen's strings of one language as first-load JS: they load before the first render).
      modulePreload: { polyfill: false },
      rollupOptions: {
        output: {
          chunkFileNames: (chunk) => {
            const id = chunk.facadeModuleId ?? ''
            if (/agent-app\/i18n\/pages\/[a-z]{2}\.ts$/.test(id)) return 'assets/strings-pages-[name]-[hash].js'
            if (/agent-app\/i18n\/[a-z]{2}\.ts$/.test(id)) return 'assets/strings-first-[name]-[hash].js'
            return 'assets/[name]-[hash].js'
          },
        },
      },
    },
    plugins: [
      pureLib0DomSchemas(),
      solid(),
      tailwindcss(),
      VitePWA({
        registerType: 'autoUpdate',
        includeManifestIcons: false, // the glob below already precaches them
        injectRegister: false, // agent-app/lib/service-worker.ts registers it
        manifest: {
          name: 'Parley', short_name: 'Parley', description: 'Customer conversations, online or off',
          start_url: '/', scope: '/', display: 'standalone', background_color: '#ffffff', theme_color: '#1d4ed8',
          icons: [
            { src: '/icon-192.png', sizes: '192x192', type: 'image/png' },
            { src: '/icon-512.png', sizes: '512x512', type: 'image/png' },
            { src: '/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          ],
        },
        workbox: {
          // The app shell is precached; data lives in IndexedDB (y-indexeddb) and the app's own API cache.
          globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
          navigateFallback: '/index.html',
          navigateFallbackDenylist: [/^\/api\//, /^\/sync/, /^\/widget\.js/, /^\/demo/, /^\/health/, /^\/metrics/],
          cleanupOutdatedCaches: true,
          clientsClaim: true,
          skipWaiting: true,
        },
      }),
    ],
  }
})
