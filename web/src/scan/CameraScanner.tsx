/**
 * Camera scanning in the browser with zxing-wasm: single (stops after the first code) or
 * continuous (keeps going; the same code is not reported again within a few seconds).
 * Browsers only allow the camera on https:// pages and on localhost.
 */
import { useCallback, useEffect, useId, useRef, useState } from 'react';

interface Props {
  onScan(raw: string): void;
  /** Start in continuous mode (else single). */
  continuousDefault?: boolean;
}

const REPEAT_MS = 3000;
const FRAME_MS = 120;
const MAX_WIDTH = 960;

function cameraError(error: unknown): string {
  const name = (error as { name?: string } | null)?.name ?? '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'Camera access was refused. Allow the camera for this site in the browser’s settings, then try again.';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'No camera was found on this device.';
  if (name === 'NotReadableError') return 'The camera is in use by another app, or cannot be read. Close other camera apps and try again.';
  return `The camera could not be started: ${(error as Error)?.message ?? String(error)}`;
}

export function CameraScanner({ onScan, continuousDefault = false }: Props) {
  const id = useId();
  const video = useRef<HTMLVideoElement>(null);
  const canvas = useRef<HTMLCanvasElement | null>(null);
  const stream = useRef<MediaStream | null>(null);
  const timer = useRef<number | undefined>(undefined);
  const last = useRef<{ text: string; at: number } | null>(null);
  const onScanRef = useRef(onScan);
  onScanRef.current = onScan;
  const [running, setRunning] = useState(false);
  const [starting, setStarting] = useState(false);
  const [continuous, setContinuous] = useState(continuousDefault);
  const continuousRef = useRef(continuous);
  continuousRef.current = continuous;
  const [error, setError] = useState<string | null>(null);
  const [cameras, setCameras] = useState<MediaDeviceInfo[]>([]);
  const [deviceId, setDeviceId] = useState<string>(() => localStorage.getItem('stockscan-camera') ?? '');
  const [lastRead, setLastRead] = useState<string | null>(null);

  const stop = useCallback(() => {
    window.clearTimeout(timer.current);
    timer.current = undefined;
    for (const track of stream.current?.getTracks() ?? []) track.stop();
    stream.current = null;
    if (video.current) video.current.srcObject = null;
    setRunning(false);
  }, []);

  useEffect(() => stop, [stop]);

  // Pause while the page is hidden (another tab, phone screen off).
  useEffect(() => {
    const onVisibility = () => {
      if (document.hidden && stream.current !== null) stop();
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => document.removeEventListener('visibilitychange', onVisibility);
  }, [stop]);

  const start = async () => {
    setError(null);
    if (!window.isSecureContext || navigator.mediaDevices?.getUserMedia === undefined) {
      setError(
        'This browser only allows the camera on https:// pages or on localhost. Open Stockscan over https (see “Scan with your phone” in the README), or use a keyboard-wedge scanner.',
      );
      return;
    }
    setStarting(true);
    try {
      const zxing = await import('./zxing');
      const media = await navigator.mediaDevices.getUserMedia({
        audio: false,
        video: deviceId !== '' ? { deviceId: { exact: deviceId } } : { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } },
      });
      stream.current = media;
      const el = video.current;
      if (el === null) throw new Error('video element missing');
      el.srcObject = media;
      await el.play();
      setRunning(true);
      const devices = await navigator.mediaDevices.enumerateDevices();
      setCameras(devices.filter((d) => d.kind === 'videoinput'));
      const tick = async () => {
        if (stream.current === null) return;
        try {
          if (el.readyState >= 2 && el.videoWidth > 0) {
            const scale = Math.min(1, MAX_WIDTH / el.videoWidth);
            const w = Math.round(el.videoWidth * scale);
            const h = Math.round(el.videoHeight * scale);
            canvas.current ??= document.createElement('canvas');
            const c = canvas.current;
            if (c.width !== w) c.width = w;
            if (c.height !== h) c.height = h;
            const ctx = c.getContext('2d', { willReadFrequently: true });
            if (ctx !== null) {
              ctx.drawImage(el, 0, 0, w, h);
              const result = await zxing.decode(ctx.getImageData(0, 0, w, h));
              if (result !== undefined && stream.current !== null) {
                const now = Date.now();
                const repeat = last.current !== null && last.current.text === result.text && now - last.current.at < REPEAT_MS;
                last.current = { text: result.text, at: now };
                if (!repeat) {
                  setLastRead(`${result.format}: ${result.text.length} characters`);
                  if (!continuousRef.current) stop();
                  onScanRef.current(result.text);
                }
              }
            }
          }
        } catch (e) {
          console.warn('decode failed', e);
        }
        if (stream.current !== null) timer.current = window.setTimeout(() => void tick(), FRAME_MS);
      };
      void tick();
    } catch (e) {
      stop();
      setError(cameraError(e));
    } finally {
      setStarting(false);
    }
  };

  return (
    <div className="camera">
      <div className="camera-controls">
        {running ? (
          <button type="button" onClick={stop}>
            Stop camera
          </button>
        ) : (
          <button type="button" className="primary" onClick={() => void start()} disabled={starting}>
            {starting ? 'Starting camera…' : 'Start camera'}
          </button>
        )}
        <fieldset className="inline">
          <legend>Camera mode</legend>
          <label>
            <input type="radio" name={`${id}-mode`} checked={!continuous} onChange={() => setContinuous(false)} /> Single scan
          </label>
          <label>
            <input type="radio" name={`${id}-mode`} checked={continuous} onChange={() => setContinuous(true)} /> Continuous
          </label>
        </fieldset>
        {cameras.length > 1 && (
          <label>
            Camera{' '}
            <select
              value={deviceId}
              onChange={(e) => {
                setDeviceId(e.target.value);
                localStorage.setItem('stockscan-camera', e.target.value);
                stop();
              }}
            >
              <option value="">Back camera (default)</option>
              {cameras.map((c, i) => (
                <option key={c.deviceId || i} value={c.deviceId}>
                  {c.label || `Camera ${i + 1}`}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <div className={running ? 'viewfinder on' : 'viewfinder'}>
        <video ref={video} muted playsInline aria-label="Camera view" />
        {running && <div className="aim" aria-hidden="true" />}
      </div>
      <p className="hint" role="status">
        {running ? `Camera on (${continuous ? 'continuous' : 'single scan'}): hold a barcode in the frame.` : 'Camera off.'}
        {lastRead !== null && ` Last read ${lastRead}.`}
      </p>
      {error !== null && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
