import { Button } from "@brightwave/ui";

export function PayButton({ amount, onPay }: { amount: string; onPay: () => void }) {
  return <Button variant="primary" onClick={onPay}>Pay {amount}</Button>;
}
