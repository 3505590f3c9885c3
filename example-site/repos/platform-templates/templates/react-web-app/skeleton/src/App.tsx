import { Button } from "@brightwave/ui";

export function App() {
  return <Button onClick={() => alert("Hello from ${{ values.name }}")}>Hello</Button>;
}
