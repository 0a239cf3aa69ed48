/**
 * A short two-note chime for a new waiting conversation or a customer's message, made with Web
 * Audio (no sound file to download or cache). Browsers allow sound only after the page has had a
 * click or key press; turning the preference on is one, and plays the chime as a preview.
 * Imported on first use (`import('../lib/chime.ts')`): not first-screen code.
 */
let context: AudioContext | null = null

export function playChime(): void {
  try {
    context ??= new AudioContext()
    if (context.state === 'suspended') void context.resume()
    const start = context.currentTime + 0.01
    for (const [i, frequency] of [880, 1320].entries()) {
      const oscillator = context.createOscillator()
      const gain = context.createGain()
      oscillator.type = 'sine'
      oscillator.frequency.value = frequency
      const at = start + i * 0.12
      gain.gain.setValueAtTime(0.0001, at)
      gain.gain.exponentialRampToValueAtTime(0.15, at + 0.02)
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.25)
      oscillator.connect(gain).connect(context.destination)
      oscillator.start(at)
      oscillator.stop(at + 0.3)
    }
  } catch { /* no audio on this device: the visual cues remain */ }
}
