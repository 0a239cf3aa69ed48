/** Times, durations and sizes as the agent reads them: through Intl, in the app's language (i18n/). */
import { intlLocale, t } from '../i18n/index.ts'

export const formatClock = (ms: number): string => new Date(ms).toLocaleTimeString(intlLocale(), { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })

export function formatWhen(ms: number, now = Date.now()): string {
  const age = now - ms
  if (age < 60_000) return t('time.now')
  if (age < 3_600_000) return formatDuration(age)
  const date = new Date(ms)
  if (date.toDateString() === new Date(now).toDateString()) return formatClock(ms)
  return date.toLocaleDateString(intlLocale(), { month: 'short', day: 'numeric' })
}

/** "12 min", "3 h", "2 d" (Intl unit names in the app's language; at least a minute). */
export function formatDuration(ms: number): string {
  const unit = (value: number, name: string) => new Intl.NumberFormat(intlLocale(), { style: 'unit', unit: name, unitDisplay: 'short' }).format(value)
  if (ms < 3_600_000) return unit(Math.max(1, Math.floor(ms / 60_000)), 'minute')
  if (ms < 86_400_000) return unit(Math.floor(ms / 3_600_000), 'hour')
  return unit(Math.floor(ms / 86_400_000), 'day')
}

export const formatDateTime = (ms: number): string => new Date(ms).toLocaleString(intlLocale(), { dateStyle: 'medium', timeStyle: 'short' })
export const formatShortDateTime = (ms: number): string => new Date(ms).toLocaleString(intlLocale(), { dateStyle: 'short', timeStyle: 'short' })

export const initials = (name: string): string => name.split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w[0]!.toUpperCase()).join('') || '?'

/** "820 B", "14 KB", "3,2 MB". */
export function formatSize(bytes: number): string {
  const n = (value: number, digits: number) => new Intl.NumberFormat(intlLocale(), { maximumFractionDigits: digits }).format(value)
  if (bytes < 1024) return `${n(bytes, 0)} B`
  if (bytes < 1024 * 1024) return `${n(Math.round(bytes / 1024), 0)} KB`
  return `${n(bytes / (1024 * 1024), 1)} MB`
}
