/** Sound and vibration after a scan (both can be switched off; the choice is remembered). */

const SOUND_KEY = 'stockscan-sound';
const VIBRATE_KEY = 'stockscan-vibrate';

export function soundEnabled(): boolean {
  return localStorage.getItem(SOUND_KEY) !== 'off';
}
export function vibrationEnabled(): boolean {
  return localStorage.getItem(VIBRATE_KEY) !== 'off';
}
export function setSoundEnabled(on: boolean): void {
  localStorage.setItem(SOUND_KEY, on ? 'on' : 'off');
}
export function setVibrationEnabled(on: boolean): void {
  localStorage.setItem(VIBRATE_KEY, on ? 'on' : 'off');
}

let audio: AudioContext | undefined;

function tone(ctx: AudioContext, frequency: number, start: number, length: number): void {
  const osc = ctx.createOscillator();
  const gain = ctx.createGain();
  osc.type = 'square';
  osc.frequency.value = frequency;
  gain.gain.setValueAtTime(0.08, ctx.currentTime + start);
  gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + start + length);
  osc.connect(gain).connect(ctx.destination);
  osc.start(ctx.currentTime + start);
  osc.stop(ctx.currentTime + start + length + 0.02);
}

export type Outcome = 'ok' | 'warn' | 'error';

/** A short high beep for success, two low ones for a failure; a matching vibration pattern. */
export function feedback(outcome: Outcome): void {
  if (soundEnabled()) {
    try {
      audio ??= new AudioContext();
      if (audio.state === 'suspended') void audio.resume();
      if (outcome === 'ok') tone(audio, 1320, 0, 0.09);
      else if (outcome === 'warn') tone(audio, 880, 0, 0.15);
      else {
        tone(audio, 330, 0, 0.12);
        tone(audio, 250, 0.16, 0.18);
      }
    } catch {
      // No audio output: nothing to do.
    }
  }
  if (vibrationEnabled() && typeof navigator.vibrate === 'function') {
    navigator.vibrate(outcome === 'ok' ? 60 : outcome === 'warn' ? [40, 40, 40] : [120, 80, 120]);
  }
}
