import { Show, type JSX } from 'solid-js'

/** The outcome of a form: an error naming the field, or a short confirmation. */
export function FormStatus(props: { error: string; saved?: string }): JSX.Element {
  return (
    <>
      <Show when={props.error}><p role="alert" class="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{props.error}</p></Show>
      <Show when={!props.error && props.saved}><p role="status" class="text-sm text-green-800">{props.saved}</p></Show>
    </>
  )
}

export const inputClass = 'w-full rounded-md border border-slate-300 px-3 py-1.5 focus:outline-2 focus:outline-blue-700'
export const primaryButton = 'rounded-md bg-blue-700 px-3 py-1.5 font-medium text-white hover:bg-blue-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700 disabled:opacity-50'
export const secondaryButton = 'rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-blue-700'
export const errorText = (e: unknown): string => (e as Error)?.message ?? String(e)
