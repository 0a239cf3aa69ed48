import type { JSX } from 'solid-js'
import { navigate } from '../lib/router.ts'

/** An in-app link: a real <a> (opens in a new tab with a modifier), routed without a reload. */
export function NavLink(props: { href: string; active?: boolean; children: JSX.Element; onNavigate?: () => void; testId?: string; class?: string }): JSX.Element {
  const click = (event: MouseEvent) => {
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return
    event.preventDefault()
    navigate(props.href)
    props.onNavigate?.()
  }
  return (
    <a href={props.href} onClick={click} aria-current={props.active ? 'page' : undefined} data-testid={props.testId}
      class={props.class ?? `flex items-center gap-2 rounded-md px-2 py-1.5 text-sm focus-visible:outline-2 focus-visible:outline-blue-700 ${props.active ? 'bg-blue-100 font-semibold text-blue-900' : 'text-slate-800 hover:bg-slate-200'}`}>
      {props.children}
    </a>
  )
}
