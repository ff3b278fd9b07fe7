import { errorSummary, FieldDefinition, fieldMessages, fieldView, requestBody, typedValues } from './form-fields';

const FIELDS: FieldDefinition[] = [
  { name: 'threshold', label: 'Threshold (credits)', kind: 'credits' },
  { name: 'days', label: 'Days', kind: 'integer' },
  { name: 'enabled', label: 'Enabled', kind: 'boolean' },
  { name: 'locationIds', label: 'Offered in', kind: 'checkboxes' },
  { name: 'note', label: 'Note', kind: 'text', omitWhenEmpty: true },
];

describe('form fields', () => {
  it('turns the form text into the JSON the API takes, passing on what it cannot convert for the API to name', () => {
    expect(
      requestBody(FIELDS, { threshold: ' -5 ', days: '30', enabled: 'on', locationIds: ['1', '2'], note: '' }),
    ).toEqual({ threshold: '-5', days: 30, enabled: true, locationIds: [1, 2] });
    expect(requestBody(FIELDS, { threshold: 'ten', days: 'x', locationIds: '3', note: 'hi' })).toEqual({
      threshold: 'ten',
      days: 'x',
      enabled: false,
      locationIds: [3],
      note: 'hi',
    });
  });

  it('sends a date and time typed in a datetime-local control as a UTC instant', () => {
    const fields: FieldDefinition[] = [{ name: 'expiresAt', label: 'Expires', kind: 'datetime', omitWhenEmpty: true }];
    expect(requestBody(fields, { expiresAt: '2026-03-20T12:30' })).toEqual({ expiresAt: '2026-03-20T12:30:00Z' });
    expect(requestBody(fields, { expiresAt: '2026-03-20T12:30:15' })).toEqual({ expiresAt: '2026-03-20T12:30:15Z' });
    expect(requestBody(fields, { expiresAt: 'tomorrow' })).toEqual({ expiresAt: 'tomorrow' });
    expect(requestBody(fields, { expiresAt: '' })).toEqual({});
    expect(fieldView('grant', fields[0], '2026-03-20T12:30', []).type).toBe('datetime-local');
  });

  it('keeps what was typed, to show it again beside the errors', () => {
    expect(typedValues(FIELDS, { threshold: 'ten', enabled: 'on', locationIds: '3' })).toEqual({
      threshold: 'ten',
      days: '',
      enabled: true,
      locationIds: ['3'],
      note: '',
    });
  });

  it('says an error about the field beside it, and only the type error when the value is not even the type', () => {
    const errors = [
      { field: 'days', rule: 'max', message: 'days must not be greater than 3650' },
      { field: 'days', rule: 'isInt', message: 'days must be an integer number' },
      { field: 'threshold', rule: 'threshold <= 0', message: 'must be 0 or below' },
    ];
    expect(fieldMessages('days', errors)).toEqual(['Must be an integer number']);
    expect(fieldMessages('threshold', errors)).toEqual(['Must be 0 or below']);
    expect(fieldMessages('enabled', errors)).toEqual([]);
  });

  it('says an error about one row of a list beside the row, without the name of the row’s field', () => {
    const errors = [
      { field: 'ranges.1.price', rule: 'isCreditAmount', message: 'price must be a non-negative credit amount' },
      { field: 'ranges', rule: 'startsAtZero', message: 'the first price range must start at 0' },
    ];
    expect(fieldMessages('ranges.1.price', errors)).toEqual(['Must be a non-negative credit amount']);
    expect(fieldMessages('ranges.0.price', errors)).toEqual([]);
    // The list as a whole hears of every row's problem, each said whole.
    expect(fieldMessages('ranges', errors)).toEqual([
      'Price must be a non-negative credit amount',
      'The first price range must start at 0',
    ]);
  });

  it('lists every problem above the form with the field label, including ones about no field of the form', () => {
    const errors = [
      { field: 'days', rule: 'isInt', message: 'days must be an integer number' },
      { field: '', rule: 'refused', message: 'plan group 9 does not exist' },
    ];
    expect(errorSummary('f', FIELDS, errors)).toEqual([
      { href: '#f-days', text: 'Days: Must be an integer number' },
      { href: '', text: 'plan group 9 does not exist' },
    ]);
  });

  it('marks an invalid field and ties its hint and error to it', () => {
    const view = fieldView('f', { ...FIELDS[1], hint: '0 means never.' }, 'x', [
      { field: 'days', rule: 'isInt', message: 'days must be an integer number' },
    ]);
    expect(view).toMatchObject({
      id: 'f-days',
      value: 'x',
      inputmode: 'numeric',
      describedBy: 'f-days-hint f-days-error',
      errors: ['Must be an integer number'],
    });
  });
});
