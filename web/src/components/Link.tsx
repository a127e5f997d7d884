import type { ComponentChildren } from 'preact';
import { follow } from '../router.ts';

/** An in-app link: a real <a href> (keyboard, middle click, copy link all work). */
export function Link(props: { href: string; class?: string; children: ComponentChildren; current?: boolean; title?: string }) {
  return (
    <a href={props.href} class={props.class} onClick={follow} aria-current={props.current ? 'page' : undefined} title={props.title}>
      {props.children}
    </a>
  );
}
