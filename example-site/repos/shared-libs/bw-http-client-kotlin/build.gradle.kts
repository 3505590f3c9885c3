plugins { kotlin("jvm") version "2.0.21"; `maven-publish` }
group = "com.brightwave"
version = "4.2.0"
dependencies { api("io.ktor:ktor-client-cio:3.0.1") }
