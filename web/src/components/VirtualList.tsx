import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';

/**
 * A list that renders only the rows near the viewport, for conversations of any length. Rows have
 * their own heights (measured as they render; estimated before), and rows may be added at either
 * end: the row at the top of the view stays where it is (an anchor), so loading earlier messages
 * does not make the view jump. `onNearStart` / `onNearEnd` ask for more when the view comes close.
 */
export interface VirtualListProps<T> {
  items: T[];
  keyOf: (item: T) => string;
  render: (item: T) => preact.ComponentChildren;
  /** Row to bring into view first (centred), else the last row at the bottom. */
  initialKey?: string | null;
  onNearStart?: () => void;
  onNearEnd?: () => void;
  header?: preact.ComponentChildren;
  footer?: preact.ComponentChildren;
  label: string;
  busy?: boolean;
  estimate?: number;
}

const OVERSCAN = 800;
const NEAR = 600;

export function VirtualList<T>(props: VirtualListProps<T>) {
  const { items, keyOf, estimate = 96 } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const heights = useRef(new Map<string, number>());
  const anchor = useRef<{ key: string; delta: number } | null>(null);
  /** The initial row the view was placed at ('' for the end); undefined before the first placing. */
  const placedFor = useRef<string | undefined>(undefined);
  const [, setMeasured] = useState(0);
  const [view, setView] = useState({ top: 0, height: 800 });
  const headerHeight = useRef(0);

  const offsets: number[] = [];
  let total = 0;
  for (const item of items) {
    offsets.push(total);
    total += heights.current.get(keyOf(item)) ?? estimate;
  }
  const indexOf = (key: string) => items.findIndex((item) => keyOf(item) === key);

  let first = 0;
  while (first < items.length - 1 && offsets[first + 1]! < view.top - OVERSCAN) first++;
  let last = first;
  while (last < items.length - 1 && offsets[last + 1]! < view.top + view.height + OVERSCAN) last++;

  // Measure rendered rows; a change re-renders with the new heights.
  const observer = useRef<ResizeObserver | null>(null);
  useEffect(() => {
    observer.current = new ResizeObserver((entries) => {
      let changed = false;
      for (const entry of entries) {
        const key = (entry.target as HTMLElement).dataset.key!;
        const height = Math.ceil((entry.target as HTMLElement).offsetHeight);
        if (height > 0 && heights.current.get(key) !== height) {
          heights.current.set(key, height);
          changed = true;
        }
      }
      if (changed) setMeasured((n) => n + 1);
    });
    return () => observer.current?.disconnect();
  }, []);
  const measure = (element: HTMLElement | null) => {
    if (element && observer.current) observer.current.observe(element);
  };

  const rememberAnchor = () => {
    const el = scroller.current;
    if (!el || items.length === 0) return;
    const top = el.scrollTop - headerHeight.current;
    let index = 0;
    while (index < items.length - 1 && offsets[index + 1]! <= top) index++;
    anchor.current = { key: keyOf(items[index]!), delta: offsets[index]! - top };
  };

  // After each render: put the view where it belongs (first time), or keep the anchor row still.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || items.length === 0) return;
    headerHeight.current = (el.querySelector('.vl-header') as HTMLElement | null)?.offsetHeight ?? 0;
    if (placedFor.current !== (props.initialKey ?? '')) {
      const index = props.initialKey ? indexOf(props.initialKey) : -1;
      if (index >= 0) {
        const rowHeight = heights.current.get(props.initialKey!) ?? estimate;
        el.scrollTop = headerHeight.current + offsets[index]! - Math.max(0, (el.clientHeight - rowHeight) / 2);
      } else {
        el.scrollTop = el.scrollHeight;
      }
      placedFor.current = props.initialKey ?? '';
    } else if (anchor.current) {
      const index = indexOf(anchor.current.key);
      if (index >= 0) {
        const wanted = headerHeight.current + offsets[index]! - anchor.current.delta;
        if (Math.abs(el.scrollTop - wanted) > 1) el.scrollTop = wanted;
      }
    }
    rememberAnchor();
    setView((old) => (old.top === el.scrollTop && old.height === el.clientHeight ? old : { top: el.scrollTop, height: el.clientHeight }));
  });

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    rememberAnchor();
    setView({ top: el.scrollTop, height: el.clientHeight });
    if (el.scrollTop < NEAR) props.onNearStart?.();
    if (el.scrollHeight - el.scrollTop - el.clientHeight < NEAR) props.onNearEnd?.();
  };

  useEffect(() => {
    const el = scroller.current;
    if (!el || placedFor.current === undefined) return;
    // A short list does not scroll: ask for more straight away.
    if (el.scrollHeight <= el.clientHeight + NEAR) {
      props.onNearStart?.();
      props.onNearEnd?.();
    }
  }, [items.length]);

  const rendered = items.slice(first, last + 1);
  return (
    <div class="vl" ref={scroller} onScroll={onScroll} tabIndex={0} role="feed" aria-label={props.label} aria-busy={props.busy ? 'true' : 'false'}>
      <div class="vl-header">{props.header}</div>
      <div class="vl-body" style={{ height: `${total}px` }}>
        {rendered.map((item, i) => {
          const key = keyOf(item);
          return (
            <div key={key} data-key={key} class="vl-row" ref={measure} style={{ top: `${offsets[first + i]}px` }}>
              {props.render(item)}
            </div>
          );
        })}
      </div>
      <div class="vl-footer">{props.footer}</div>
    </div>
  );
}
