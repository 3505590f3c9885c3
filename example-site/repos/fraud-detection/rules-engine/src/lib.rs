//! Merchant-defined fraud rules, evaluated in-process by the scoring service.

pub mod rules {
    /// A rule that blocks attempts above an amount (minor units).
    pub struct MaxAmount(pub i64);

    impl MaxAmount {
        pub fn matches(&self, amount: i64) -> bool {
            amount > self.0
        }
    }
}
