/**
 * A uPlot chart that follows its container's width (readable at 390 px), is drawn again when its
 * figures change (a filter, a range) and is destroyed with its component. `stacked` bars stack
 * their series, the first at the bottom; the legend shows each series' own value.
 */
import { createEffect, onCleanup, onMount, type JSX } from 'solid-js'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'

export interface ChartSeries { label: string; values: (number | null)[]; color: string; dash?: number[]; bars?: boolean }

export function Chart(props: { label: string; x: number[]; xLabels?: string[]; xName?: string; series: ChartSeries[]; height?: number; stacked?: boolean; testId?: string }): JSX.Element {
  let box!: HTMLDivElement
  onMount(() => {
    let plot: uPlot | null = null
    const height = () => props.height ?? 200
    const resize = new ResizeObserver(() => plot?.setSize({ width: Math.max(240, box.clientWidth), height: height() }))
    resize.observe(box)
    createEffect(() => {
      const x = props.x, xLabels = props.xLabels, stacked = Boolean(props.stacked)
      // Stacked: each series is drawn at the sum of itself and those before it, the tallest first (under the others).
      let drawn: (ChartSeries & { own?: (number | null)[] })[] = props.series
      let data = drawn.map((s) => s.values)
      if (stacked) {
        const sums = props.series.map((_, i) => x.map((_, j) => props.series.slice(0, i + 1).reduce((n, s) => n + (s.values[j] ?? 0), 0)))
        drawn = props.series.map((s) => ({ ...s, own: s.values })).reverse()
        data = sums.reverse()
      }
      const bars = uPlot.paths.bars?.({ size: [0.6, 60] })
      plot?.destroy()
      plot = new uPlot({
        width: Math.max(240, box.clientWidth), height: height(),
        legend: { show: true },
        cursor: { drag: { x: false, y: false } },
        // Categories at whole x values, half a step of room either side (one day, or bars, draw inside).
        scales: {
          x: { time: false, range: () => [Math.min(...x) - 0.5, Math.max(...x) + 0.5] },
          ...(stacked ? { y: { range: (_u: uPlot, _min: number, max: number) => [0, Math.max(1, max) * 1.1] as uPlot.Range.MinMax } } : {}),
        },
        axes: [
          {
            space: 40,
            splits: () => { const step = Math.max(1, Math.ceil(x.length / 8)); return x.filter((_, i) => i % step === 0) },
            values: (_u, ticks) => ticks.map((t) => xLabels?.[t] ?? String(t)),
          },
          // Stacked counts: whole-number steps.
          { size: 40, ...(stacked ? { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000] } : {}) },
        ],
        series: [
          { label: props.xName ?? '', value: (_u, v) => (v === null ? '' : xLabels?.[v] ?? String(v)) },
          ...drawn.map(({ own, ...s }) => {
            return {
              label: s.label, stroke: s.color, fill: s.bars ? s.color : undefined, width: 2, ...(s.dash ? { dash: s.dash } : {}), ...(s.bars && bars ? { paths: bars, points: { show: false } } : {}),
              ...(own ? { value: (_u: uPlot, _v: number | null, _s: number, i: number | null) => (i === null ? '' : String(own[i] ?? '')) } : {}),
            }
          }),
        ],
      }, [x, ...data] as uPlot.AlignedData, box)
    })
    onCleanup(() => { resize.disconnect(); plot?.destroy() })
  })
  return <div ref={box} role="img" aria-label={props.label} data-testid={props.testId} class="w-full overflow-hidden" />
}
