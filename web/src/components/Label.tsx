/** One printable label: the object's Stockscan barcode, its name and IPN or reference. */
import type { LabelData } from '../labels';
import { modelInfo } from '../models';
import { renderUrl, type Symbology } from './ui';

export function Label({ label, symbology }: { label: LabelData; symbology: Symbology }) {
  const model = modelInfo(label.type);
  return (
    <div className={`label label-${symbology}`} data-barcode={label.barcode}>
      <img className="label-code" src={renderUrl(label.barcode, symbology)} alt={`Barcode ${label.barcode}`} />
      <div className="label-text">
        <strong className="label-title">{label.title}</strong>
        {label.subtitle !== '' && <span className="label-sub">{label.subtitle}</span>}
        <span className="label-meta">
          {model?.label} · <code>{label.barcode}</code>
        </span>
      </div>
    </div>
  );
}
