variable "name" { type = string }
variable "engine_version" {
  type    = string
  default = "16.4"
}
