/** The package ships no types; this is the shape it documents (prom2json's). */
declare module 'parse-prometheus-text-format' {
  export interface Sample { value?: string; labels?: Record<string, string>; buckets?: Record<string, string>; count?: string; sum?: string; quantiles?: Record<string, string> }
  export interface Family { name: string; help: string; type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED'; metrics: Sample[] }
  export default function parsePrometheusTextFormat(text: string): Family[]
}
