resource "aws_rds_cluster" "this" {
  cluster_identifier  = var.name
  engine              = "aurora-postgresql"
  engine_version      = var.engine_version
  storage_encrypted   = true
  deletion_protection = true
}
