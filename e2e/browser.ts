/**
 * Real-browser tests: Debian's Chromium driven by playwright-core (Playwright's own browser
 * download cannot work on these machines). Builds the browser parts first if they are stale.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { chromium, type Browser } from 'playwright-core'

export const ARTIFACTS = path.resolve('e2e/artifacts')

export function buildBrowserParts(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' })
}

export async function launchBrowser(): Promise<Browser> {
  fs.mkdirSync(ARTIFACTS, { recursive: true })
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  })
}

export const artifact = (name: string): string => path.join(ARTIFACTS, name)
