/**
 * Business hours with real controls (issue 17): on or off, the time zone, opening and closing
 * time per weekday, and holidays closed all day. Controlled: the form around it saves the value
 * (PUT /api/settings/ai, where the server checks it again); `businessHoursProblems` says what
 * the server would refuse, in the agent's language, before anything is sent.
 */
import { For, Show, type JSX } from 'solid-js'
import type { BusinessHours } from '../../../protocol/business-hours.ts'
import { inputClass, secondaryButton } from '../../components/FormStatus.tsx'
import { intlLocale, t } from '../../i18n/index.ts'

type Day = keyof BusinessHours['days']
const DAYS: readonly Day[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']
const small = 'rounded-md border border-slate-300 bg-white px-2 py-1 text-sm focus-visible:outline-2 focus-visible:outline-blue-700'

/** "Monday" in the agent's language (2024-01-01 was a Monday). */
const dayName = (day: Day): string => new Intl.DateTimeFormat(intlLocale(), { weekday: 'long', timeZone: 'UTC' }).format(Date.UTC(2024, 0, 1 + DAYS.indexOf(day)))

const browserZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'

/** A new team's week: Monday to Friday, 9 to 5, in this browser's zone. */
export const defaultBusinessHours = (): BusinessHours => ({
  timezone: browserZone(),
  days: Object.fromEntries(DAYS.slice(0, 5).map((d) => [d, { open: '09:00', close: '17:00' }])) as BusinessHours['days'],
  holidays: [],
})

/** What the server would refuse, as sentences for the agent; empty when it can be saved. */
export function businessHoursProblems(hours: BusinessHours | null): string[] {
  if (!hours) return []
  const problems: string[] = []
  const days = Object.entries(hours.days) as [Day, { open: string; close: string }][]
  if (days.length === 0) problems.push(t('hours.noDay'))
  for (const [day, { open, close }] of days) if (!(open < close)) problems.push(t('hours.closesBeforeOpen', { day: dayName(day) }))
  const seen = new Set<string>()
  for (const holiday of hours.holidays ?? []) {
    if (!holiday.date) { problems.push(t('hours.holidayNoDate')); continue }
    if (seen.has(holiday.date)) problems.push(t('hours.holidayTwice', { date: holiday.date }))
    seen.add(holiday.date)
  }
  return problems
}

const zones = (current: string): string[] => {
  const all = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('timeZone') ?? []
  return [...new Set(['UTC', current, ...all])].sort()
}

export function BusinessHoursEditor(props: { value: BusinessHours | null; onChange: (next: BusinessHours | null) => void }): JSX.Element {
  const set = (patch: Partial<BusinessHours>) => props.onChange({ ...props.value!, ...patch })
  const setDay = (day: Day, hours: { open: string; close: string } | null) => {
    const days = { ...props.value!.days }
    if (hours) days[day] = hours; else delete days[day]
    set({ days })
  }
  const holidays = () => props.value?.holidays ?? []
  const setHoliday = (i: number, patch: { date?: string; name?: string }) =>
    set({ holidays: holidays().map((h, j) => (j === i ? { ...h, ...patch } : h)) })
  const copyMonday = () => {
    const monday = props.value!.days.mon
    const days = { ...props.value!.days }
    for (const day of DAYS.slice(1, 5)) { if (monday) days[day] = { ...monday }; else delete days[day] }
    set({ days })
  }
  return (
    <fieldset class="flex flex-col gap-3 rounded-lg border border-slate-200 p-4" data-testid="business-hours">
      <legend class="px-1 font-semibold">{t('settings.hours')}</legend>
      <label class="flex items-center gap-2 text-sm">
        <input type="checkbox" data-testid="hours-enabled" checked={props.value !== null} onChange={(e) => props.onChange(e.currentTarget.checked ? defaultBusinessHours() : null)} />
        {t('hours.enabled')}
      </label>
      <Show when={props.value} fallback={<p class="text-sm text-slate-600">{t('hours.alwaysHint')}</p>}>{(hours) => (
        <>
          <p class="text-sm text-slate-600">{t('hours.hint')}</p>
          <label class="text-sm">{t('hours.zone')}
            <select class={inputClass} value={hours().timezone} data-testid="hours-zone" onChange={(e) => set({ timezone: e.currentTarget.value })}>
              <For each={zones(hours().timezone)}>{(zone) => <option value={zone}>{zone.replaceAll('_', ' ')}</option>}</For>
            </select>
          </label>
          <table class="text-sm">
            <thead class="text-left text-slate-600"><tr><th class="py-1 pr-3 font-medium">{t('hours.day')}</th><th class="py-1 pr-3 font-medium">{t('hours.open')}</th><th class="py-1 font-medium">{t('hours.close')}</th></tr></thead>
            <tbody>
              <For each={DAYS}>{(day) => {
                const current = () => hours().days[day]
                return (
                  <tr data-testid={`hours-${day}`}>
                    <td class="py-1 pr-3">
                      <label class="flex items-center gap-2">
                        <input type="checkbox" aria-label={t('hours.openOn', { day: dayName(day) })} checked={current() !== undefined}
                          onChange={(e) => setDay(day, e.currentTarget.checked ? { open: '09:00', close: '17:00' } : null)} />
                        <span aria-hidden="true">{dayName(day)}</span>
                      </label>
                    </td>
                    <Show when={current()} fallback={<td colSpan={2} class="py-1 text-slate-500">{t('hours.closed')}</td>}>{(h) => (
                      <>
                        <td class="py-1 pr-3"><input type="time" class={small} aria-label={t('hours.opensAt', { day: dayName(day) })} value={h().open} required
                          onChange={(e) => setDay(day, { ...h(), open: e.currentTarget.value })} /></td>
                        <td class="py-1"><input type="time" class={small} aria-label={t('hours.closesAt', { day: dayName(day) })} value={h().close} required
                          aria-invalid={h().open >= h().close} onChange={(e) => setDay(day, { ...h(), close: e.currentTarget.value })} /></td>
                      </>
                    )}</Show>
                  </tr>
                )
              }}</For>
            </tbody>
          </table>
          <div><button type="button" class={`${secondaryButton} text-sm`} onClick={copyMonday}>{t('hours.copy')}</button></div>
          <div class="flex flex-col gap-2">
            <p class="text-sm font-medium">{t('hours.holidays')}</p>
            <ul class="flex flex-col gap-2" data-testid="holidays">
              <For each={holidays()} fallback={<li class="text-sm text-slate-600">{t('hours.noHolidays')}</li>}>{(holiday, i) => (
                <li class="flex flex-wrap items-center gap-2">
                  <input type="date" class={small} aria-label={t('hours.holidayDate')} value={holiday.date} required onChange={(e) => setHoliday(i(), { date: e.currentTarget.value })} />
                  <input class={`${small} min-w-0 flex-1`} aria-label={t('hours.holidayName')} placeholder={t('hours.holidayName')} maxLength={100} value={holiday.name ?? ''}
                    onChange={(e) => setHoliday(i(), { name: e.currentTarget.value })} />
                  <button type="button" class="rounded px-2 py-1 text-sm text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-blue-700"
                    aria-label={t('hours.removeHoliday', { date: holiday.date || '…' })} onClick={() => set({ holidays: holidays().filter((_, j) => j !== i()) })}>×</button>
                </li>
              )}</For>
            </ul>
            <div><button type="button" class={`${secondaryButton} text-sm`} data-testid="add-holiday" onClick={() => set({ holidays: [...holidays(), { date: '' }] })}>{t('hours.addHoliday')}</button></div>
          </div>
        </>
      )}</Show>
    </fieldset>
  )
}
