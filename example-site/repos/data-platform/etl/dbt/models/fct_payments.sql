select
    payment_intent_id,
    merchant_id,
    amount_minor_units,
    currency,
    captured_at
from {{ ref('stg_payment_events') }}
where event_type = 'payment.captured'
