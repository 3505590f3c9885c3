plugins {
    kotlin("jvm") version "2.0.21"
    kotlin("plugin.spring") version "2.0.21"
    id("org.springframework.boot") version "3.3.5"
}

group = "com.brightwave"

dependencies {
    implementation("org.springframework.boot:spring-boot-starter-web")
    implementation("com.brightwave:bw-http-client:4.2.0")
}
