/** A definition list of label → value, values as text (absent ones left out). */
export function Facts({ rows }: { rows: Array<[string, preact.ComponentChildren | string | number | null | undefined]> }) {
  return (
    <dl class="facts">
      {rows.filter(([, value]) => value !== null && value !== undefined && value !== '').map(([label, value]) => (
        <div key={label} class="fact"><dt>{label}</dt><dd>{typeof value === 'string' ? <bdi>{value}</bdi> : value}</dd></div>
      ))}
    </dl>
  );
}
