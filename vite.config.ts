/**
 * One Vite config, two builds chosen by --mode (scripts/build.mjs runs both):
 * `app`: the agent PWA (agent-app/) into dist/app; `widget`: the customer widget, one script, into dist/widget.
 */
import { defineConfig, type UserConfig } from 'vite'

export default defineConfig(async ({ mode }): Promise<UserConfig> => {
  if (mode === 'widget') {
    return {
      build: {
        outDir: 'dist/widget',
        emptyOutDir: true,
        lib: { entry: 'widget/main.ts', formats: ['iife'], name: 'ParleyWidget', fileName: () => 'widget.js' },
        target: 'es2020',
        minify: true,
      },
    }
  }
  return {
    root: 'agent-app',
    build: { outDir: '../dist/app', emptyOutDir: true, target: 'es2022' },
  }
})
