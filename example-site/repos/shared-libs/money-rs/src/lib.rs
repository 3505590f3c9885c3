/// An amount of money in minor units of one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Money {
    pub minor_units: i64,
    pub currency: [u8; 3],
}

impl Money {
    pub fn checked_add(self, other: Money) -> Option<Money> {
        if self.currency != other.currency {
            return None;
        }
        Some(Money { minor_units: self.minor_units.checked_add(other.minor_units)?, currency: self.currency })
    }
}
