/** The frame of the pages reached from an email link (accept an invitation, reset a password) and sign-up. */
import type { JSX } from 'solid-js'

export function AccountCard(props: { title: string; children: JSX.Element }): JSX.Element {
  return (
    <div class="grid min-h-full place-items-center bg-slate-50 p-4">
      <section class="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-6 shadow-sm" aria-labelledby="account-title">
        <div class="mb-6 flex items-center gap-2">
          <img src="/icon.svg" alt="" class="h-8 w-8" />
          <h1 id="account-title" class="text-xl font-semibold">{props.title}</h1>
        </div>
        {props.children}
      </section>
    </div>
  )
}

export const fieldClass = 'mb-4 w-full rounded-md border border-slate-300 px-3 py-2 focus:border-blue-700 focus:outline-2 focus:outline-blue-700'
export const submitClass = 'w-full rounded-md bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700 disabled:opacity-60'
export const tokenFromUrl = (): string => new URL(location.href).searchParams.get('token') ?? ''
