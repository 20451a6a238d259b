# syntax=docker/dockerfile:1
# lockbroker: built from source with Maven, run on a JRE as a non-root user.
#   docker build -t lockbroker .
#   docker run -p 8080:8080 lockbroker            (see docker-compose.yml for S3 via MinIO)

FROM maven:3.9-eclipse-temurin-25 AS build
WORKDIR /src
COPY pom.xml .
RUN --mount=type=cache,target=/root/.m2 mvn -B -q dependency:resolve dependency:resolve-plugins
COPY src ./src
RUN --mount=type=cache,target=/root/.m2 mvn -B -q -DskipTests package

FROM eclipse-temurin:25-jre
RUN groupadd --system --gid 10001 lockbroker \
 && useradd --system --uid 10001 --gid lockbroker --home-dir /var/lib/lockbroker --shell /usr/sbin/nologin lockbroker \
 && mkdir -p /var/lib/lockbroker \
 && chown lockbroker:lockbroker /var/lib/lockbroker
COPY --from=build /src/target/lockbroker.jar /opt/lockbroker/lockbroker.jar
USER 10001:10001
WORKDIR /var/lib/lockbroker
ENV LOCKBROKER_LOG_FORMAT=json
EXPOSE 8080
# The JRE image may lack curl and wget, and the JRE cannot run a .java file (no compiler), so the
# probe is plain bash: HTTP/1.0 GET /healthz over /dev/tcp, healthy on a 200 status line.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${LOCKBROKER_PORT:-8080} && printf 'GET /healthz HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/lockbroker/lockbroker.jar"]
CMD ["server"]
