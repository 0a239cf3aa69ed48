/** A uPlot chart that follows its container's width (readable at 390 px) and is destroyed with its component. */
import { onCleanup, onMount, type JSX } from 'solid-js'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'

export interface ChartSeries { label: string; values: (number | null)[]; color: string; dash?: number[]; bars?: boolean }

export function Chart(props: { label: string; x: number[]; xLabels?: string[]; xName?: string; series: ChartSeries[]; height?: number; testId?: string }): JSX.Element {
  let box!: HTMLDivElement
  onMount(() => {
    const bars = uPlot.paths.bars?.({ size: [0.6, 60] })
    const plot = new uPlot({
      width: Math.max(240, box.clientWidth), height: props.height ?? 200,
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      // Categories at whole x values, half a step of room either side (one day, or bars, draw inside).
      scales: { x: { time: false, range: () => [Math.min(...props.x) - 0.5, Math.max(...props.x) + 0.5] } },
      axes: [
        {
          space: 40,
          splits: () => { const step = Math.max(1, Math.ceil(props.x.length / 8)); return props.x.filter((_, i) => i % step === 0) },
          values: (_u, ticks) => ticks.map((t) => props.xLabels?.[t] ?? String(t)),
        },
        { size: 40 },
      ],
      series: [
        { label: props.xName ?? '', value: (_u, v) => (v === null ? '' : props.xLabels?.[v] ?? String(v)) },
        ...props.series.map((s) => ({ label: s.label, stroke: s.color, fill: s.bars ? s.color : undefined, width: 2, ...(s.dash ? { dash: s.dash } : {}), ...(s.bars && bars ? { paths: bars, points: { show: false } } : {}) })),
      ],
    }, [props.x, ...props.series.map((s) => s.values)] as uPlot.AlignedData, box)
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(240, box.clientWidth), height: props.height ?? 200 }))
    resize.observe(box)
    onCleanup(() => { resize.disconnect(); plot.destroy() })
  })
  return <div ref={box} role="img" aria-label={props.label} data-testid={props.testId} class="w-full overflow-hidden" />
}
